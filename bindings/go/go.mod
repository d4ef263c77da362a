// Go bindings for libscxcore. The ".invalid" host marks the path as local:
// nothing is ever fetched for it. Use it from another module with
//
//	require libscxcore.invalid/scxcore v0.0.0
//	replace libscxcore.invalid/scxcore => /path/to/libscxcore/bindings/go
module libscxcore.invalid/scxcore

go 1.23

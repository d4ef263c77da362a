# hackbench -p -g 4 -f 10 -l 100 as traced by scxtest_hackstat
machine cpus=4 smt=1 hz=250
task sender count=10 groups=4 class=sender
  recv
  loop 100
    run 135.3us..203.0us
    send receiver
  end
end
task receiver count=10 groups=4 class=receiver inbox=655
  recv
  loop 1000
    recv
    run 9.6us..14.3us
  end
end
task start start=1ms
  send sender
  send receiver
end

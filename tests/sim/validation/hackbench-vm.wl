# hackbench -p -g 4 -f 10 -l 100 as traced by scxtest_hackstat
machine cpus=4 smt=1 hz=250
task sender count=10 groups=4 class=sender
  recv
  loop 100
    run 118.3us..177.5us
    send receiver
  end
end
task receiver count=10 groups=4 class=receiver
  recv
  loop 1000
    recv
    run 9.8us..14.7us
  end
end
task start start=1ms
  send sender
  send receiver
end

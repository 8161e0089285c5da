DESC='a boot-time oneshot service (tail /dev/zero) eats memory in a 384 MiB guest; the OOM killer kills it, the unit fails, the boot goes on to the login prompt'
MEM=384
prepare() {
  img_enable "$IMG" lab-memory-hog.service
}

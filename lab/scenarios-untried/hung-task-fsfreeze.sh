DESC='healthy boot with a data disk mounted at /data; root logs in, sets kernel.hung_task_timeout_secs=30, freezes /data (fsfreeze -f) and writes to it: the writer blocks in D state and the kernel reports it every 30 s; QEMU killed after the third report'
EXTRA_QEMU=(-drive "file=$RUN/data.raw,format=raw,if=virtio")
prepare() {
  make_data_disk "$RUN/data.raw"
  img_mkdir "$IMG" /data
  fstab_add "$IMG" "UUID=$DATA_UUID	/data	ext4	defaults	0	2"
}
STEPS="$LOGIN_STEPS
send sysctl -w kernel.hung_task_timeout_secs=30; fsfreeze -f /data; (dd if=/dev/zero of=/data/blob bs=4k count=64 conv=fsync &); sleep 2
waitn 600 3 blocked for more than 30 seconds
sleep 10
kill"
# label: sessions=1 last_stage=login-prompt outcome=kernel-hang
# evidence: fsfreeze -f /data
# evidence: INFO: task .*blocked for more than 30 seconds
# evidence: last: INFO: task .*blocked for more than 30 seconds
# judgement: the block is a frozen file system, not a wedged kernel: the shell still answers, but the log ends in hung-task reports with no progress after them (kernel-hang by DESIGN's wording)

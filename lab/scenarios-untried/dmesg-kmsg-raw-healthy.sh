DESC='a raw /dev/kmsg dump: kernel console on tty0 only; a unit copies /dev/kmsg records ("6,123,4567,-;text") to ttyS0 after a healthy boot'
APPEND="root=UUID=$ROOT_UUID ro console=tty0 net.ifnames=0 $DMESG"
prepare() {
  img_mask "$IMG" serial-getty@ttyS0.service
  img_unit "$IMG" lab-kmsg-dump.service <<'U'
[Unit]
Description=Lab: copy /dev/kmsg to the serial port
After=multi-user.target
[Service]
Type=simple
ExecStart=/bin/sh -c 'sleep 20; dd if=/dev/kmsg iflag=nonblock bs=8192 2>/dev/null > /dev/ttyS0; true'
[Install]
WantedBy=multi-user.target
U
}
STEPS='wait 900 Startup finished in
sleep 10'
# label: sessions=1 last_stage=systemd-services outcome=booted
# evidence: Linux version
# evidence: systemd\[1\]: Reached target multi-user.target
# judgement: a /dev/kmsg record dump (priority,sequence,microseconds,flags;text), not console text: booted by systemd's final target, if a reader parses the record prefix at all

DESC='a dmesg dump: the kernel console is on tty0 only (nothing on ttyS0 but the firmware), and a unit prints `dmesg` to ttyS0 20 s after it starts; the serial log is SeaBIOS plus one dmesg listing of a healthy boot'
APPEND="root=UUID=$ROOT_UUID ro console=tty0 net.ifnames=0 $DMESG"
prepare() {
  img_mask "$IMG" serial-getty@ttyS0.service
  img_unit "$IMG" lab-dmesg-dump.service <<'U'
[Unit]
Description=Lab: copy the kernel log to the serial port
After=multi-user.target
[Service]
Type=simple
ExecStart=/bin/sh -c 'sleep 20; dmesg > /dev/ttyS0'
[Install]
WantedBy=multi-user.target
U
}
STEPS='wait 900 Startup finished in
sleep 10'
# label: sessions=1 last_stage=systemd-services outcome=booted
# evidence: Linux version
# evidence: systemd\[1\]: Reached target multi-user.target
# evidence: systemd\[1\]: Startup finished in
# note: the log is firmware output plus a `dmesg` listing (no console lines of its own, no login prompt): booted by systemd's final target
# note: the listing starts on the firmware's unfinished "Probing EDD (edd=off to disable)... o" line, after the escape sequence the kernel's console setup left there; no line of its own before it

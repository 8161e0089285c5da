DESC='healthy boot where the console font is set at boot (as console-setup does on Debian/Ubuntu: Uni2-Terminus16 via setfont before the getty): the login prompt in Terminus'
SERIAL=1
prepare() {
  img_write "$IMG" /usr/bin/setfont /usr/bin/setfont 0755
  img_write "$IMG" /usr/share/consolefonts/Uni2-Terminus16.psf.gz /root/Uni2-Terminus16.psf.gz
  img_put "$IMG" /etc/systemd/system/lab-setfont.service <<'UNIT'
[Unit]
Description=Console font (lab: as console-setup's setupcon does)
Before=getty@tty1.service
After=systemd-vconsole-setup.service

[Service]
Type=oneshot
ExecStart=/usr/bin/setfont -C /dev/tty1 /root/Uni2-Terminus16.psf.gz

[Install]
WantedBy=multi-user.target
UNIT
  img_enable "$IMG" lab-setfont.service
}
STEPS="wait 900 $LOGIN_RE
sleep 8
shot screen"

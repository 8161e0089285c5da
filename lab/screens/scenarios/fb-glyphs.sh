DESC='framebuffer console (bochs-drm, 1024x768): every character the reader knows, in the kernel font, then in the Fixed and Terminus fonts loaded with setfont'
SERIAL=0
# the host's setfont (Debian 12 kbd: needs only libc) and console-setup fonts, and a script that
# prints lab/screens/glyphs.txt on tty1 (cursor hidden, kernel messages off the console)
prepare() {
  img_write "$IMG" /usr/bin/setfont /usr/bin/setfont 0755
  img_write "$IMG" /usr/share/consolefonts/Uni2-Fixed16.psf.gz /root/Uni2-Fixed16.psf.gz
  img_write "$IMG" /usr/share/consolefonts/Uni2-Terminus16.psf.gz /root/Uni2-Terminus16.psf.gz
  img_write "$IMG" "$SCREENS/glyphs.txt" /root/glyphs.txt
  img_put "$IMG" /root/glyphs.sh 0755 <<'SH'
#!/bin/sh
dmesg -n 1
printf '\033[2J\033[H\033[?25l' > /dev/tty1
cat /root/glyphs.txt > /dev/tty1
SH
}
STEPS="$LOGIN_STEPS
send sh /root/glyphs.sh
sleep 3
shot vga
send setfont -C /dev/tty1 /root/Uni2-Fixed16.psf.gz && sh /root/glyphs.sh
sleep 3
shot fixed
send setfont -C /dev/tty1 /root/Uni2-Terminus16.psf.gz && sh /root/glyphs.sh
sleep 3
shot terminus"

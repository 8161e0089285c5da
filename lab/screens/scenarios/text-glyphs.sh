DESC='VGA text mode (80x25, vgacon: nomodeset): every character the reader knows, in the VGA BIOS font (SeaVGABIOS)'
SERIAL=0
APPEND="root=UUID=$ROOT_UUID ro $CONSOLE net.ifnames=0 nomodeset"
prepare() {
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
shot screen"

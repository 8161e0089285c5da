DESC='shutdown held up by a service whose ExecStop never returns, tty0 named last: systemd shutdown status lines and "A stop job is running" on screen'
APPEND="root=UUID=$ROOT_UUID ro $CONSOLE_TTY_LAST net.ifnames=0 video=1024x768"
prepare() {
  img_enable "$IMG" lab-data-sync.service
}
STEPS="$LOGIN_STEPS
send poweroff
sleep 40
shot screen"

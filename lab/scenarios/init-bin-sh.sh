DESC='init=/bin/sh on the kernel command line: the initramfs mounts the root read-only and hands over to a root shell ("job control turned off", a # prompt): no systemd, no getty'
APPEND="$APPEND init=/bin/sh"
STEPS='wait 600 job control turned off
sleep 5'
# label: sessions=1 last_stage=switch-root outcome=boot-stuck
# evidence: job control turned off
# judgement: an operator's init=/bin/sh: the system is up as a bare root shell, which no stage of DESIGN names: switch-root with nothing after it (boot-stuck) vs booted (a usable shell, as public-55's BusyBox root shell)

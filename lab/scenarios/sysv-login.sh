DESC='sysvinit instead of systemd (sysvinit-core; root image sysv.raw): "INIT: version ...", SysV rc scripts with [ ok ] lines, getty on ttyS0 from /etc/inittab; healthy boot to the login prompt'
BASE=sysv.raw
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: INIT: version
# evidence: login: $

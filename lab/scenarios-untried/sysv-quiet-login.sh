DESC='sysvinit, kernel command line quiet (no earlyprintk): few kernel lines, SysV rc script lines, login prompt'
BASE=sysv.raw
APPEND="$PLAIN quiet"
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: INIT: version
# evidence: login: $

DESC='QEMU injects an NMI (QMP inject-nmi) during boot, no unknown_nmi_panic: the kernel prints "Uhhuh. NMI received for unknown reason ... Dazed and confused, but trying to continue" and the boot reaches the login prompt'
STEPS="wait 300 Loading, please wait|Run /init as init process
sleep 3
qmp {\"execute\":\"inject-nmi\"}
wait 900 $LOGIN_RE
sleep 5"
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: NMI received for unknown reason
# evidence: Dazed and confused, but trying to continue
# evidence: login: 
# note: a spurious NMI is reported and ignored; the boot went on

DESC="waagent with ResourceDisk.Format=y and provisioning disabled (Provisioning.Enabled=n): the agent finds no resource disk (no Hyper-V storage bus under QEMU) and reports it cannot mount it; no fstab involved; QEMU killed 60 s after the agent's report"
prepare() {
  waagent_on "$IMG"
  waagent_conf "$IMG" ResourceDisk.Format y
  waagent_conf "$IMG" Provisioning.Enabled n
}
STEPS="wait 900 $LOGIN_RE
wait 600 [Rr]esource disk|ResourceDisk
sleep 60
kill"
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: login: 
# evidence: [Rr]esource disk
# judgement: see the log

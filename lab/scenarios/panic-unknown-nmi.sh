DESC='unknown_nmi_panic on the kernel command line; QEMU injects an NMI (QMP inject-nmi) while the initramfs runs: "Uhhuh. NMI received for unknown reason", kernel panic "NMI: Not continuing"'
APPEND="$APPEND unknown_nmi_panic"
STEPS="wait 300 Loading, please wait|Run /init as init process
sleep 3
qmp {\"execute\":\"inject-nmi\"}
wait 120 end Kernel panic
sleep 3"
# label: sessions=1 last_stage=initramfs outcome=kernel-panic
# evidence: NMI received for unknown reason
# evidence: Kernel panic - not syncing: NMI

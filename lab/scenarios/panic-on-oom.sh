DESC='384 MiB guest with vm.panic_on_oom=1 (sysctl on the kernel command line) and lab-memory-hog.service enabled: the first OOM panics the kernel instead of killing the task'
MEM=384
APPEND="$APPEND sysctl.vm.panic_on_oom=1"
prepare() { img_enable "$IMG" lab-memory-hog.service; }
STEPS='wait 900 end Kernel panic
sleep 3'
# label: sessions=1 last_stage=systemd-services outcome=kernel-panic
# evidence: invoked oom-killer
# evidence: Kernel panic - not syncing: Out of memory

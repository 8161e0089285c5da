DESC='init=/sbin/lab-init on the kernel command line, a file the root does not have: initramfs-tools reports "run-init: /sbin/lab-init: No such file or directory" and "Target filesystem does not have requested /sbin/lab-init.", falls back to /sbin/init (systemd), and the boot reaches the login prompt'
APPEND="$APPEND init=/sbin/lab-init"
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: run-init: /sbin/lab-init: No such file or directory
# evidence: Target filesystem doesn't have requested /sbin/lab-init
# evidence: login: $
# note: the requested init is missing but initramfs-tools falls back to /sbin/init: an error line that does not stop the boot. The committed log comes from a run whose console script waited for an (initramfs) prompt that never came (600 s); the guest printed nothing after the login prompt

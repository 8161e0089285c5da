DESC='security=selinux selinux=1 enforcing=0 on the kernel command line but no SELinux policy installed: the kernel initialises SELinux, systemd cannot load a policy and goes on; the boot reaches the login prompt'
APPEND="$APPEND security=selinux selinux=1 enforcing=0"
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: SELinux:  Initializing
# evidence: SELinux:  Could not open policy file
# evidence: login: $
# note: SELinux chatter without a policy; nothing stopped

DESC='two vCPUs under software emulation (-smp 2): besides the usual chatter the kernel may mark the TSC unstable, and the boot takes longer; healthy boot to the login prompt'
SMP=2
# label: sessions=1 last_stage=login-prompt outcome=booted
# evidence: smpboot: Total of 2 processors activated|Brought up
# evidence: login: $

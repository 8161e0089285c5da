DESC='audit=1 on the kernel command line and no audit daemon: the kernel prints every audit record (audit: type=1130/1131 ... res=success, kauditd_printk_skb: N callbacks suppressed) on the console; the boot reaches the login prompt'
APPEND="$APPEND audit=1"
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: audit: type=
# evidence: login: $
# note: audit records on the console are chatter

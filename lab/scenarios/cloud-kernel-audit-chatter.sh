DESC="Debian's cloud kernel with audit=1 and no audit daemon: audit records on the console throughout the boot; healthy boot to the login prompt"
BASE=cloud.raw
KERNEL=$WORK/vmlinuz-cloud
INITRD_FILE=$WORK/initrd-cloud.img
APPEND="$APPEND audit=1"
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: audit: type=
# evidence: login: $
# note: audit chatter; nothing stopped

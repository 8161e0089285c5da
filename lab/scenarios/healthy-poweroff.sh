DESC='healthy boot; root logs in on ttyS0 and runs poweroff; QEMU exits when the guest powers off'
STEPS="$LOGIN_STEPS
send poweroff
eof 300"

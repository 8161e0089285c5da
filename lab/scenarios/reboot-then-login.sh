DESC='healthy boot; root logs in and runs reboot; the second boot reaches the login prompt'
STEPS="$LOGIN_STEPS
send reboot
wait 900 $LOGIN_RE
sleep 5"

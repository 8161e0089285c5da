DESC='someone types at the serial login prompt: a wrong password twice ("Login incorrect"), then nothing; healthy boot, the prompt comes back; QEMU stopped 10 s later'
STEPS="wait 900 $LOGIN_RE
send root
wait 60 Password:
send wrong-password
wait 60 Login incorrect
wait 60 login: 
send admin
wait 60 Password:
send letmein
wait 60 Login incorrect
wait 60 login: 
sleep 10"
# label: sessions=1 last_stage=login-prompt outcome=booted negative=true
# evidence: Login incorrect
# evidence: last: login: $
# note: failed logins at the prompt are not a boot problem

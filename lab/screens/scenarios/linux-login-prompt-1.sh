DESC='healthy boot on a 1024x768 framebuffer console: getty clears tty1 and shows the issue line and the login prompt'
STEPS="wait 900 $LOGIN_RE
sleep 8
shot screen"

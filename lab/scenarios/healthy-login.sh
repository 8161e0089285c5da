DESC='healthy boot to the serial login prompt; QEMU stopped 5 s after the prompt'
# defaults: boot the base image, wait for "<host> login: ", let it settle, kill QEMU

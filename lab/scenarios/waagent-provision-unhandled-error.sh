DESC="waagent provisions by itself (Provisioning.Agent=auto, cloud-init off) with a bug patched into its provisioning handler (an attribute of None is read): the exception escapes the handler and the daemon reports op=UnhandledError with the traceback; formatting it then fails too (waagent 2.7.3 calls traceback.format_exception(etype=...), which Python 3.11 rejects), so the daemon dies with a chain of TypeError tracebacks and is not restarted; QEMU killed 60 s later"
prepare() {
  waagent_on "$IMG"
  img_patch_py "$IMG" /usr/lib/python3/dist-packages/azurelinuxagent/pa/provision/default.py \
    '^( +)logger\.info\("Copying ovf-env\.xml"\)$' \
    '\1logger.info("Copying ovf-env.xml")\n\1ovf_env = None  # bootdiag lab: injected bug\n\1logger.info("Provisioning section: {0}", ovf_env.provision_guest_agent)'
}
STEPS="wait 900 $LOGIN_RE
wait 600 UnhandledError
sleep 60
kill"
# label: sessions=1 last_stage=login-prompt outcome=provisioning-failed
# evidence: Failed to mount resource disk
# evidence: Copying ovf-env.xml
# evidence: op=UnhandledError
# evidence: AttributeError: 'NoneType' object has no attribute 'provision_guest_agent'
# evidence: last: TypeError: format_exception\(\) got an unexpected keyword argument 'etype'
# judgement: the agent never says "Provisioning failed": its provisioning handler crashes (op=UnhandledError, Python tracebacks) and the daemon dies, so the VM is never provisioned; provisioning-failed by substance, while an analyser keyed on "Provisioning failed" sees only agent errors. The resource-disk ERROR before it is Debian's ResourceDisk.Format=y finding no Hyper-V disk under QEMU, not an fstab problem

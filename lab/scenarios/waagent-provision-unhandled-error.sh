DESC="waagent provisions by itself (Provisioning.Agent=auto, cloud-init off) with a bug patched into its provisioning handler (an attribute of None is read): the exception escapes the handler, the daemon reports op=UnhandledError with the Python traceback and restarts every 15 s"
prepare() {
  waagent_on "$IMG"
  img_patch_py "$IMG" /usr/lib/python3/dist-packages/azurelinuxagent/pa/provision/default.py \
    '^( +)logger\.info\("Copying ovf-env\.xml"\)$' \
    '\1logger.info("Copying ovf-env.xml")\n\1ovf_env = None  # bootdiag lab: injected bug\n\1logger.info("Provisioning section: {0}", ovf_env.provision_guest_agent)'
}
STEPS="wait 900 $LOGIN_RE
waitn 600 2 Daemon ended with exception|UnhandledError
sleep 20
kill"
# label: sessions=1 last_stage=login-prompt outcome=provisioning-failed
# evidence: Copying ovf-env.xml
# evidence: UnhandledError
# evidence: AttributeError
# judgement: the agent never says "Provisioning failed": its provisioning handler crashes (op=UnhandledError, traceback, "Daemon ended with exception") and restarts in a loop, so the VM is never provisioned; provisioning-failed by substance, an analyser keyed on "Provisioning failed" sees only an agent error

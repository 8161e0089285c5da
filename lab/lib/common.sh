# Shared settings and helpers for the boot lab (sourced by build-root.sh and run-scenario.sh).
# shellcheck shell=bash
LAB=${LAB:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
REPO=$(cd "$LAB/.." && pwd)
WORK=${WORK:-$LAB/work}
OUTDIR=${OUTDIR:-$REPO/test/corpus/lab}

GUEST_HOSTNAME=bootdiag-lab
ROOT_UUID=3f6c2a1e-8b4d-4c2f-9e7a-5d1b0c9a7e11   # the root filesystem of base.raw
DATA_UUID=a1d2c3e4-0f9b-4e8d-8c7b-6a5f4e3d2c1b   # the scratch data disk some scenarios add

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

# --- editing a guest ext4 image without mounting it (debugfs -w) -----------------------------
# Each helper takes the image path first. Paths are absolute guest paths.
_dbg() { # run debugfs commands from stdin against image $1; fail on any error line
  local img=$1 out
  out=$(debugfs -w -f - "$img" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
  if printf '%s\n' "$out" | grep -v '^debugfs ' | grep -qiE 'error|not found|could not|exists'; then
    printf '%s\n' "$out" >&2; return 1
  fi
}
img_exists() { debugfs -R "stat $2" "$1" 2>&1 | grep -q '^Inode:'; }
img_rm() { # img path  (no error if absent)
  img_exists "$1" "$2" || return 0
  printf 'rm %s\n' "$2" | _dbg "$1"
}
img_write() { # img localfile guestpath [octal-mode]  (replaces an existing file)
  local img=$1 src=$2 dst=$3 mode=${4:-0644}
  img_rm "$img" "$dst"
  printf 'cd %s\nwrite %s %s\nsif %s mode 0100%s\nsif %s uid 0\nsif %s gid 0\n' \
    "$(dirname "$dst")" "$src" "$(basename "$dst")" "$dst" "${mode#0}" "$dst" "$dst" | _dbg "$img"
}
img_put() { # img guestpath [octal-mode] <<< content
  local tmp; tmp=$(mktemp); cat > "$tmp"
  img_write "$1" "$tmp" "$2" "${3:-0644}"; local rc=$?; rm -f "$tmp"; return $rc
}
img_mkdir() { # img guestpath
  img_exists "$1" "$2" && return 0
  printf 'mkdir %s\nsif %s mode 040755\n' "$2" "$2" | _dbg "$1"
}
img_symlink() { # img linkpath target
  img_rm "$1" "$2"
  printf 'symlink %s %s\n' "$2" "$3" | _dbg "$1"
}
img_enable() { # img unit [target]  — what `systemctl enable` does for WantedBy=<target>
  local img=$1 unit=$2 target=${3:-multi-user.target} dir
  dir=/etc/systemd/system/$target.wants
  img_mkdir "$img" "$dir"
  if img_exists "$img" "/etc/systemd/system/$unit"; then
    img_symlink "$img" "$dir/$unit" "/etc/systemd/system/$unit"
  else
    img_symlink "$img" "$dir/$unit" "/lib/systemd/system/$unit"
  fi
}
img_cat() { debugfs -R "cat $2" "$1" 2>/dev/null; }

# --- scratch disks ----------------------------------------------------------------------------
make_data_disk() { # path — a 64 MiB ext4 "data" disk (label labdata, UUID $DATA_UUID) with a few files
  local out=$1 d; d=$(mktemp -d)
  for i in 1 2 3; do head -c 40000 /dev/urandom > "$d/file$i"; done
  echo "lab data disk" > "$d/README"
  mke2fs -q -t ext4 -F -L labdata -U "$DATA_UUID" -E root_owner=0:0 -d "$d" "$out" 64M
  rm -rf "$d"
}
first_block() { # img guestpath — physical start of the file's first extent
  debugfs -R "stat $2" "$1" 2>/dev/null | sed -n '/^EXTENTS:/{n;s/^([0-9-]*):\([0-9]*\).*/\1/p;q}'
}
corrupt_dup_blocks() { # img fileA fileB — point fileB's first extent at fileA's blocks
  # (two inodes claim the same blocks: e2fsck -p cannot fix that and exits 4, "RUN fsck MANUALLY")
  # and flag the filesystem as having errors, as the kernel does when it trips over corruption.
  local img=$1 a=$2 b=$3 blk
  blk=$(first_block "$img" "$a"); [ -n "$blk" ] || die "no extent for $a"
  printf 'sif %s block[5] %s\nssv state 2\n' "$b" "$blk" | _dbg "$img"
}

make_seed() { # out.iso dir — NoCloud seed: ISO 9660 volume labelled "cidata" with dir's files
  genisoimage -quiet -output "$1" -volid cidata -joliet -rock "$2"/*
}
enable_cloud_init() { # img — turn cloud-init on; it writes its own network config (50-cloud-init)
  img_rm "$1" /etc/cloud/cloud-init.disabled
  img_rm "$1" /etc/network/interfaces.d/eth0
}

# --- more image edits used by the scenarios ------------------------------------------------------
img_append() { # img guestpath <<< lines  — append to a guest file (created if absent)
  local tmp; tmp=$(mktemp)
  { img_cat "$1" "$2"; cat; } > "$tmp"
  img_write "$1" "$tmp" "$2" "${3:-0644}"; local rc=$?; rm -f "$tmp"; return $rc
}
img_unit() { # img name [target|-] <<< unit text — install /etc/systemd/system/<name>, enable it
  img_put "$1" "/etc/systemd/system/$2"
  [ "${3:-multi-user.target}" = - ] || img_enable "$1" "$2" "${3:-multi-user.target}"
}
img_mask() { # img unit — systemctl mask
  img_symlink "$1" "/etc/systemd/system/$2" /dev/null
}
fstab_add() { # img "line"
  printf '%s\n' "$2" | img_append "$1" /etc/fstab
}
img_sysv_script() { # img name start-levels-priority stop-priority <<< script — /etc/init.d/<name> + rc links
  # Debian's rc runs scripts by insserv's /etc/init.d/.depend.* makefiles (startpar), which know
  # nothing of a script added without insserv: .legacy-bootordering makes rc run the rc?.d links
  # in their S/K order instead (CONCURRENCY=none), so the added script runs where its link says.
  local img=$1 name=$2 sp=$3 kp=$4 l
  img_put "$img" /etc/init.d/.legacy-bootordering </dev/null
  img_put "$img" "/etc/init.d/$name" 0755
  for l in 2 3 4 5; do img_symlink "$img" "/etc/rc$l.d/S$sp$name" "../init.d/$name"; done
  for l in 0 6; do img_symlink "$img" "/etc/rc$l.d/K$kp$name" "../init.d/$name"; done
}
waagent_on() { # img — run walinuxagent.service under QEMU, provisioning by the agent itself
  img_mkdir "$1" /etc/systemd/system/walinuxagent.service.d
  printf '[Unit]\n# bootdiag lab: run the agent under QEMU too\nConditionVirtualization=\n' |
    img_put "$1" /etc/systemd/system/walinuxagent.service.d/lab.conf
  img_enable "$1" walinuxagent.service
  local u
  for u in cloud-init.service cloud-final.service cloud-config.service cloud-init-local.service cloud-init-hotplugd.socket; do
    img_rm "$1" "/etc/systemd/system/cloud-init.target.wants/$u"
  done
  img_cat "$1" /etc/waagent.conf | sed 's/^Provisioning\.Agent=.*/Provisioning.Agent=auto/' |
    img_put "$1" /etc/waagent.conf
}
waagent_conf() { # img key value — set one waagent.conf option
  img_cat "$1" /etc/waagent.conf | sed "s|^$2=.*|$2=$3|" | img_put "$1" /etc/waagent.conf
}
img_patch_py() { # img guestpath python-regex replacement — edit a guest Python file (sed-like, once)
  local tmp; tmp=$(mktemp)
  img_cat "$1" "$2" > "$tmp"
  python3 - "$tmp" "$3" "$4" <<'PY'
import re, sys
path, pat, rep = sys.argv[1:4]
src = open(path).read()
new, n = re.subn(pat, rep, src, count=1, flags=re.M)
if n != 1:
    sys.exit("pattern not found: " + pat)
open(path, "w").write(new)
PY
  img_write "$1" "$tmp" "$2"; local rc=$?; rm -f "$tmp"; return $rc
}

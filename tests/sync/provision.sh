#!/usr/bin/env bash
# provision.sh - first boot (sync/README.md, "Provisioning a kiosk"): kiosk-office makes a
# signed provisioning file, kiosk-sync provision writes the kiosk's config from it, and
# the kiosk then installs a bundle the same office published. Every refusal: no
# fingerprint on a bare board, a wrong fingerprint, a bad signature, a missing field, an
# oversized file, another kiosk_id (and --force), a signer the config does not trust;
# each is one line "FILE: FIELD: cause [reason]", a non-zero exit, and nothing written.
#   provision.sh BIN_DIR DEMO_DB
source "$(dirname "$0")/lib.sh"
SRC=$(cd "$HERE/../.." && pwd)
O=$T/office
E=$T/etc            # the board's /etc/hallkiosk
CFG=$E/kiosk.ini
KO() { "$BIN/kiosk-office" --office "$O" "$@"; }
PV() { "$BIN/kiosk-sync" --config "$CFG" provision "$@"; }
# refused EXIT FIELD REASON ARGS...: kiosk-sync provision ARGS exits EXIT with one line
# naming FIELD and REASON, and the board's config folder is left as it was
refused() {
  local want=$1 field=$2 reason=$3 code=0 before
  shift 3
  before=$(cd "$E" && sha256sum * | sort)
  PV "$@" 2> "$T/err" || code=$?
  [ "$code" = "$want" ] || fail "provision $*: exit $code, not $want: $(cat "$T/err")"
  [ "$(wc -l < "$T/err")" = 1 ] || fail "provision $*: not one line: $(cat "$T/err")"
  grep -q ": $field: .* \[$reason\]\$" "$T/err" || fail "provision $*: want $field [$reason]: $(cat "$T/err")"
  [ "$(cd "$E" && sha256sum * | sort)" = "$before" ] || fail "provision $*: refused, but $E changed"
}
# resign IN OUT [python expression on the body `b`]: IN's body changed and signed again
# with the office's key, as a forger holding that key (or a buggy office) would
resign() {
  python3 - "$1" "$2" "$T/keys/sign.key" "${3:-b}" <<'PY'
import base64, ctypes, ctypes.util, sys
src, out, keyfile, expr = sys.argv[1:5]
lines = open(src, "rb").read().split(b"\n", 3)
b = lines[3]
b = eval(expr)
sk = base64.b64decode(open(keyfile).read().split()[1])
na = ctypes.CDLL(ctypes.util.find_library("sodium"))
assert na.sodium_init() >= 0
sig = ctypes.create_string_buffer(64)
na.crypto_sign_detached(sig, None, b, ctypes.c_ulonglong(len(b)), sk)
pk = sk[32:]
open(out, "wb").write(b"hallkiosk-provision 1\nsigner " + base64.b64encode(pk) + b"\nsignature "
                      + base64.b64encode(sig.raw) + b"\n" + b)
PY
}

keys
mkdir -p "$WWW" "$E" "$T/var"
KO_INIT() { "$BIN/kiosk-office" init "$O" --web-root "$WWW" --sign-key "$T/keys/sign.key" \
  --seal-key "$T/keys/seal.key" --scope hall-1,hall-2 > /dev/null; }
KO_INIT
KO provision --kiosk K0007 --scope hall-1 --central-url https://office.example/kiosk -o "$T/K0007.provision" > "$T/out"
FP=$(sed -n 's/^fingerprint: //p' "$T/out")
# the fingerprint is BLAKE2b-256 of the signing public key, its first 16 bytes, computed
# here on its own from sign.pub
want=$(python3 - "$T/keys/sign.pub" <<'PY'
import base64, hashlib, sys
pk = base64.b64decode(open(sys.argv[1]).read().split()[1])
print(hashlib.blake2b(pk, digest_size=32).hexdigest()[:32])
PY
)
[ "$FP" = "$want" ] || fail "kiosk-office printed fingerprint '$FP', sign.pub's is $want"
ok "kiosk-office provision prints the signing key's fingerprint"
CODE=0
KO provision --kiosk K0007 --scope hall-9 -o "$T/x.provision" 2> "$T/err" || CODE=$?
[ "$CODE" = 2 ] && grep -q "^kiosk-office: provision: --scope: " "$T/err" && [ ! -e "$T/x.provision" ] ||
  fail "a scope the office does not serve: exit $CODE: $(cat "$T/err")"
CODE=0
KO provision --kiosk K0I07 --scope hall-1 -o "$T/x.provision" 2> "$T/err" || CODE=$?
[ "$CODE" = 2 ] && grep -q "^kiosk-office: provision: kiosk_id: " "$T/err" && [ ! -e "$T/x.provision" ] ||
  fail "a bad kiosk id: exit $CODE: $(cat "$T/err")"
ok "kiosk-office provision refuses a foreign scope and a bad kiosk id"

# ---- the board: the packaged example config, plus one key set by hand ----------------
{ cat "$SRC/docs/kiosk.ini"; printf '[kiosk]\nidle_seconds = 120\n[sync]\nretries = 7\n'; } > "$CFG"
cp "$CFG" "$T/example.ini"

# ---- refusals on a bare board ----------------------------------------------------------
refused 3 fingerprint unknown-key "$T/K0007.provision"
ok "a bare board without --fingerprint: refused"
other=$(printf '%s' "$FP" | tr '0-9a-f' '1-9a-f0')
refused 3 fingerprint unknown-key --fingerprint "$other" "$T/K0007.provision"
refused 3 fingerprint bad-key --fingerprint 1234 "$T/K0007.provision"
ok "a wrong fingerprint: refused"
python3 - "$T/K0007.provision" "$T/tampered.provision" <<'PY'
import sys
b = open(sys.argv[1], "rb").read().replace(b"scope = hall-1", b"scope = hall-2")
open(sys.argv[2], "wb").write(b)
PY
refused 3 signature bad-signature --fingerprint "$FP" "$T/tampered.provision"
ok "a changed body (scope): bad signature"
resign "$T/K0007.provision" "$T/nourl.provision" 'b.replace(b"central_url = https://office.example/kiosk\n", b"")'
refused 3 central_url bad-manifest --fingerprint "$FP" "$T/nourl.provision"
resign "$T/K0007.provision" "$T/noseal.provision" 'b"\n".join(l for l in b.split(b"\n") if not l.startswith(b"seal_"))'
refused 3 seal_public_key bad-manifest --fingerprint "$FP" "$T/noseal.provision"
resign "$T/K0007.provision" "$T/badid.provision" 'b.replace(b"K0007", b"K0O07")'
refused 3 kiosk_id bad-manifest --fingerprint "$FP" "$T/badid.provision"
resign "$T/K0007.provision" "$T/extra.provision" 'b + b"admin = yes\n"'
refused 3 body bad-manifest --fingerprint "$FP" "$T/extra.provision"
ok "a signed file with a field missing, malformed or unknown: refused"
resign "$T/K0007.provision" "$T/big.provision" 'b + b"#" * 5000 + b"\n"'
refused 3 file too-large --fingerprint "$FP" "$T/big.provision"
head -c 4097 /dev/zero > "$T/zero.provision"
refused 3 file too-large --fingerprint "$FP" "$T/zero.provision"
ok "a file over 4096 bytes: refused before it is read"
printf 'hallkiosk-provision 2\n' > "$T/v2.provision"
refused 3 format bad-format-version --fingerprint "$FP" "$T/v2.provision"
cp "$T/K0007.provision" "$T/short.provision" && truncate -s 40 "$T/short.provision"
refused 3 signer bad-header --fingerprint "$FP" "$T/short.provision"
ok "another format, a truncated head: refused"
# a file signed by another key than the ones it hands over
mkdir -p "$T/keys2" && KB keygen --out "$T/keys2" > /dev/null
python3 - "$T/keys2/sign.pub" "$T/K0007.provision" "$T/body-key.txt" <<'PY'
import sys
pk = open(sys.argv[1]).read().split()[1]
b = open(sys.argv[2]).read().split("\n", 3)[3]
lines = [l if not l.startswith("sign_public_key = ") else "sign_public_key = " + pk for l in b.split("\n")]
open(sys.argv[3], "w").write("\n".join(lines))
PY
resign "$T/K0007.provision" "$T/notlisted.provision" "open('$T/body-key.txt', 'rb').read()"
refused 3 sign_public_key bad-manifest --fingerprint "$FP" "$T/notlisted.provision"
ok "a file whose signer is not among the keys it carries: refused"
cmp -s "$CFG" "$T/example.ini" || fail "the refusals changed the config"

# ---- provisioned -------------------------------------------------------------------------
PV --fingerprint "$(printf '%s' "$FP" | tr a-f A-F | sed 's/..../&-/g; s/-$//')" "$T/K0007.provision" 2> "$T/log" ||
  fail "provision: $(cat "$T/log")"
# every line of the example config is still there, in order; the new lines are exactly
# the five keys
python3 - "$T/example.ini" "$CFG" "$E" "$T/keys" <<'PY' || fail "the config written"
import sys
old, new, etc, keys = sys.argv[1:5]
a, b = open(old).read().splitlines(), open(new).read().splitlines()
# a must be a subsequence of b; what b has beyond it was added
added, i = [], 0
for line in b:
    if i < len(a) and line == a[i]:
        i += 1
    else:
        added.append(line)
assert i == len(a), f"line {i + 1} of the old config is gone: {a[i]!r}"
want = {"kiosk_id": "K0007", "scope": "hall-1", "central_url": "https://office.example/kiosk"}
got = dict(l.split(" = ", 1) for l in added)
assert sorted(got) == sorted(list(want) + ["sign_public_keys", "seal_public_key"]), got
for k, v in want.items():
    assert got[k] == v, (k, got[k])
for k, src in (("sign_public_keys", "sign.pub"), ("seal_public_key", "seal.pub")):
    assert got[k].startswith(etc + "/provision-"), got[k]
    assert open(got[k]).read() == open(f"{keys}/{src}").read(), k
PY
grep -q '^idle_seconds = 120$' "$CFG" && grep -q '^retries = 7$' "$CFG" || fail "keys the file does not set were lost"
ok "provisioned: the five [kiosk] keys set, the key files beside the config, every other line kept"

# the kiosk takes the office's bundle, and seals to the office's key
KO publish "$SRC/assets/content" --scope hall-1 > /dev/null
printf '[kiosk]\ncontent_db = %s\nstate_db = %s\n[sync]\nwork_dir = %s\n' \
  "$T/var/content.db" "$T/var/state.db" "$T/var/sync" >> "$CFG"
"$BIN/kiosk-sync" --config "$CFG" install "$WWW/bundles/hall-1/1.kbundle" 2> "$T/log" || fail "install: $(cat "$T/log")"
[ "$(db_version "$T/var/content.db")" = 1 ] || fail "content version $(db_version "$T/var/content.db")"
ok "the provisioned kiosk installs the bundle its office published"

# ---- again: a provisioned kiosk ------------------------------------------------------------
PV "$T/K0007.provision" 2> "$T/log" || fail "provision again without a fingerprint: $(cat "$T/log")"
[ "$(grep -c '^kiosk_id = ' "$CFG")" = 1 ] && [ "$(grep -c '^sign_public_keys = ' "$CFG")" = 1 ] ||
  fail "provisioning twice duplicated lines"
ok "provisioning again with a file signed by a trusted key needs no fingerprint and changes nothing"
KO provision --kiosk K0008 --scope hall-2 -o "$T/K0008.provision" > /dev/null
refused 3 kiosk_id other-kiosk "$T/K0008.provision"
ok "a file for another kiosk_id: refused"
PV --force "$T/K0008.provision" 2> "$T/log" || fail "--force: $(cat "$T/log")"
grep -q '^kiosk_id = K0008$' "$CFG" && grep -q '^scope = hall-2$' "$CFG" && grep -q '^central_url = $' "$CFG" ||
  fail "--force did not replace the kiosk"
ok "--force replaces the kiosk_id"
# a new office key the kiosk does not trust: only with its fingerprint
rm -rf "$O"
"$BIN/kiosk-office" init "$O" --web-root "$WWW" --sign-key "$T/keys2/sign.key" \
  --seal-key "$T/keys/seal.key" --scope hall-2 > /dev/null
KO provision --kiosk K0008 --scope hall-2 -o "$T/new.provision" > "$T/out"
refused 3 signer unknown-key "$T/new.provision"
PV --fingerprint "$(sed -n 's/^fingerprint: //p' "$T/out")" "$T/new.provision" 2> "$T/log" || fail "$(cat "$T/log")"
ok "a file signed by a key the kiosk does not trust needs that key's fingerprint"

# ---- no config yet: one is created ------------------------------------------------------------
PV_NEW() { "$BIN/kiosk-sync" --config "$T/new/kiosk.ini" provision "$@"; }
mkdir -p "$T/new"
PV_NEW --fingerprint "$FP" "$T/K0007.provision" 2> "$T/log" || fail "no config: $(cat "$T/log")"
[ "$(grep -c . "$T/new/kiosk.ini")" = 5 ] || fail "a new config: $(cat "$T/new/kiosk.ini")"
ok "a missing config is created with the five keys"

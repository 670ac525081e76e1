#!/usr/bin/env bash
# The README's intake demo as one script: upload two documents, file online, the officer receives, form 01 as PDF,
# public tracking. Re-runnable (a fresh Idempotency-Key each run); stops at the first failure and says which.
# Usage: npm run demo:intake   (against a running `npm start`; MOTCUA_URL overrides http://localhost:3000)
set -euo pipefail
BASE=${MOTCUA_URL:-http://localhost:3000}
OUT=${DEMO_OUT:-.}
json() { # json FIELD.PATH: reads a JSON answer on stdin and prints that field (fails quietly if absent)
  node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{try{const v=process.argv[1].split(".").reduce((o,k)=>o?.[k],JSON.parse(s));if(v===undefined)process.exit(3);console.log(v)}catch{process.exit(3)}})' "$1"
}

# api METHOD PATH TOKEN [JSON]: prints the answer's body; an error answer stops the demo with a readable line.
api() {
  local args=(-sS -X "$1" "$BASE$2" -w '\n%{http_code}')
  [[ -n ${3:-} ]] && args+=(-H "authorization: Bearer $3")
  [[ $1 == POST ]] && args+=(-H "idempotency-key: demo-$(node -e 'console.log(crypto.randomUUID())')")
  [[ -n ${4:-} ]] && args+=(-H 'content-type: application/json' -d "$4")
  local out
  out=$(curl "${args[@]}") || { echo "demo: $1 $2 failed: is \`npm start\` running at $BASE?" >&2; exit 1; }
  local status=${out##*$'\n'}
  out=${out%$'\n'*}
  if ((status >= 400)); then
    echo "demo: $1 $2 answered $status: $out" >&2
    exit 1
  fi
  printf '%s\n' "$out"
}
token() { api POST /local-idp/token '' "{\"username\":\"$1\"}" | json id_token; }

upload() { # $1 = requirement id; prints the verified upload id
  local file sha size ticket url id
  file=$(mktemp --suffix=.pdf)
  printf '%%PDF-1.4\n%% %s %s\n%%%%EOF\n' "$1" "$RANDOM" >"$file"
  sha=$(openssl dgst -sha256 -binary "$file" | base64)
  size=$(stat -c %s "$file")
  ticket=$(api POST /v1/uploads "$CITIZEN" "{\"procedureCode\":\"1.001193\",\"requirementId\":\"$1\",\"fileName\":\"$1.pdf\",\"contentType\":\"application/pdf\",\"sizeBytes\":$size,\"sha256\":\"$sha\"}")
  url=$(json upload.url <<<"$ticket")
  id=$(json uploadId <<<"$ticket")
  curl -sS --fail-with-body -XPUT "$url" -H 'content-type: application/pdf' -H "x-amz-checksum-sha256: $sha" \
    --data-binary @"$file" >/dev/null || { echo "demo: the upload of $1 to S3 failed" >&2; exit 1; }
  api POST "/v1/uploads/$id/complete" "$CITIZEN" >/dev/null
  rm -f "$file"
  echo "$id"
}

CITIZEN=$(token citizen.an)
OFFICER=$(token officer.badinh)

echo '1. citizen.an uploads the two documents a birth registration needs'
D1=$(upload to-khai-dang-ky-khai-sinh)
D2=$(upload giay-chung-sinh)

echo '2. files online (SUBMITTED)'
FILED=$(api POST /v1/dossiers "$CITIZEN" "{
  \"procedureCode\":\"1.001193\",\"unit\":\"000.02.01.H26\",
  \"applicant\":{\"fullName\":\"Nguyễn Văn An\",\"citizenId\":\"001090012345\",\"phone\":\"0912345678\"},
  \"answers\":{\"childFullName\":\"Nguyễn Minh Khang\",\"childDateOfBirth\":\"2026-11-20\",\"childSex\":\"Nam\",
               \"placeOfBirth\":\"Bệnh viện Phụ sản Hà Nội\",\"relationship\":\"Cha\"},
  \"documents\":[{\"requirementId\":\"to-khai-dang-ky-khai-sinh\",\"uploadId\":\"$D1\"},
                 {\"requirementId\":\"giay-chung-sinh\",\"uploadId\":\"$D2\"}]}")
CODE=$(json code <<<"$FILED")
KEY=$(json lookupKey <<<"$FILED")
echo "   code $CODE, lookup key $KEY"

echo '3. officer.badinh receives it: the appointment day is computed'
RECEIVED=$(api POST "/v1/dossiers/$CODE/receive" "$OFFICER")
echo "   status $(json status <<<"$RECEIVED"), appointment day $(json deadline.appointmentDay <<<"$RECEIVED")"

echo '4. form 01 (receipt and appointment slip) as PDF'
PDF="$OUT/form01-$CODE.pdf"
STATUS=$(curl -sS "$BASE/v1/dossiers/$CODE/forms/01" -H "authorization: Bearer $CITIZEN" -o "$PDF.part" -w '%{http_code}')
if [[ $STATUS != 200 ]]; then
  echo "demo: form 01 answered $STATUS: $(cat "$PDF.part")" >&2
  rm -f "$PDF.part"
  exit 1
fi
mv "$PDF.part" "$PDF"
echo "   saved $PDF"

echo '5. public tracking by code and key'
api GET "/v1/tracking/$CODE?key=$KEY" ''
echo "done: $CODE"

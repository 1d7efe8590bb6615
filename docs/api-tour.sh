#!/usr/bin/env bash
# A tour of the API for the seed process. Start `make run` first, then:
#   ADV=<safetyAdvisor token> PO=<permitOfficer token> bash docs/api-tour.sh
set -e
API=${API:-http://127.0.0.1:8000/api/v1}
# 1. A resident reports a suspected drug house; the safety advisor registers the signal.
SIGNAL=$(curl -s -X POST "$API/signals" -H "Authorization: Bearer $ADV" -H 'Content-Type: application/json' \
  -d '{"source":"resident","channel":"phone","received":"2026-11-02T09:00:00+01:00","text":"Veel bezoek s nachts, geur van hennep.","theme":"drugs","subjects":{"addresses":[{"street":"Hamersveldseweg","houseNumber":40,"postcode":"3833GP","city":"Leusden"}]}}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "signal $SIGNAL"
# 2. Weighing: undermining, a municipal task, further analysis, one source consulted (each step at its ETag).
for STEP in '{"decision":"undermining","reason":"lokale verankering: pand"}' \
            '{"decision":"municipalTask","reason":"openbare orde, art. 13b Opiumwet"}' \
            '{"decision":"furtherAnalysis","reason":"concreet en recent"}' \
            '{"type":"sourceChecked","source":"BRP","hit":true,"approvedBy":"demo-privacyfunctionaris"}'; do
  ETAG=$(curl -s -D - -o /dev/null "$API/signals/$SIGNAL" -H "Authorization: Bearer $ADV" | grep -i '^etag' | cut -d' ' -f2 | tr -d '\r')
  curl -s -o /dev/null -w "weighing %{http_code}\n" -X POST "$API/signals/$SIGNAL/weighings" -H "Authorization: Bearer $ADV" \
    -H "If-Match: $ETAG" -H 'Content-Type: application/json' -d "$STEP"
done
# 3. The advisor opens a case from the signal.
CASE=$(curl -s -X POST "$API/cases" -H "Authorization: Bearer $ADV" -H 'Content-Type: application/json' \
  -d "{\"title\":\"Pand Hamersveldseweg 40\",\"theme\":\"drugs\",\"signalIds\":[\"$SIGNAL\"],\"partners\":[\"police\"]}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "case $CASE"
# 4. A permit for a company at that address is refused on Bibob grounds: the demo's refusal LEU-2026-D15 was
#    linked to case LEU-C-01 the same way; its evidence is visible to the advisor, never to the permit officer.
curl -s "$API/cases/LEU-C-01/evidence" -H "Authorization: Bearer $ADV" \
  | python3 -c 'import json,sys; print([(e["kind"], e["reference"]) for e in json.load(sys.stdin)["results"]])'
curl -s -o /dev/null -w "permit officer reading the case: %{http_code}\n" "$API/cases/LEU-C-01" -H "Authorization: Bearer $PO"

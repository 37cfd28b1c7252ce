#!/usr/bin/env bash
# Tells the operators' Telegram chat how a deploy went (Korean first, English below, like every
# QTS alert). A notification problem never changes the deploy's outcome: it warns and exits 0.
#
# Environment: TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID (skipped when either is empty), JOB_STATUS
# (success | failure | cancelled), DEPLOY_ENV, RUN_URL, GITHUB_SHA, GITHUB_ACTOR, GITHUB_REF_NAME;
# TELEGRAM_API_URL (default https://api.telegram.org) for tests.
set -uo pipefail

if [ -z "${TELEGRAM_BOT_TOKEN:-}" ] || [ -z "${TELEGRAM_CHAT_ID:-}" ]; then
  echo "::warning::TELEGRAM_BOT_TOKEN or TELEGRAM_CHAT_ID is not set: no deploy notification sent"
  exit 0
fi

status="${JOB_STATUS:-unknown}"
case "$status" in
  success) head_ko="✅ 배포 완료"; head_en="deploy succeeded" ;;
  cancelled) head_ko="⚠️ 배포 취소"; head_en="deploy cancelled" ;;
  *) head_ko="🚨 배포 실패"; head_en="deploy FAILED (the previous release keeps running if the executor step rolled back)" ;;
esac
sha="${GITHUB_SHA:-unknown}"
text="$head_ko — ${DEPLOY_ENV:-?} ${sha:0:7}
실행자: ${GITHUB_ACTOR:-?}, 브랜치: ${GITHUB_REF_NAME:-?}
$head_en: ${DEPLOY_ENV:-?} ${sha:0:7} by ${GITHUB_ACTOR:-?}
${RUN_URL:-}"

api="${TELEGRAM_API_URL:-https://api.telegram.org}"
# The token is part of the URL: pass it through curl's config on stdin, not on the command line.
if ! printf 'url = "%s/bot%s/sendMessage"\n' "$api" "$TELEGRAM_BOT_TOKEN" |
  curl -sS --fail --max-time 20 --retry 2 --config - \
    --data-urlencode "chat_id=$TELEGRAM_CHAT_ID" \
    --data-urlencode "text=$text" \
    --data-urlencode "disable_web_page_preview=true" >/dev/null; then
  echo "::warning::the Telegram notification could not be sent"
fi
exit 0

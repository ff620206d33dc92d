#!/usr/bin/env bash
# Configures Debian's Postfix (apt-get install postfix, "Local only") for bench/hub-throughput.ts:
# mail to r1..r20@bench.test is delivered to Maildirs under /var/mail/vhosts/bench.test, without
# size limits, and Postfix is (re)started. Run as root; changes the machine's Postfix configuration.
set -euo pipefail
command -v postconf >/dev/null || { echo "Postfix is not installed: apt-get install postfix" >&2; exit 1; }
getent group vmail >/dev/null || groupadd -g 5000 vmail
getent passwd vmail >/dev/null || useradd -u 5000 -g vmail -d /var/mail/vhosts -s /usr/sbin/nologin vmail
mkdir -p /var/mail/vhosts/bench.test
chown -R vmail:vmail /var/mail/vhosts
: > /etc/postfix/vmailbox
for i in $(seq 1 20); do echo "r$i@bench.test bench.test/r$i/" >> /etc/postfix/vmailbox; done
postmap /etc/postfix/vmailbox
postconf -e \
  'inet_interfaces = loopback-only' \
  'mydestination = localhost' \
  'virtual_mailbox_domains = bench.test' \
  'virtual_mailbox_base = /var/mail/vhosts' \
  'virtual_mailbox_maps = hash:/etc/postfix/vmailbox' \
  'virtual_uid_maps = static:5000' 'virtual_gid_maps = static:5000' 'virtual_minimum_uid = 100' \
  'message_size_limit = 0' 'virtual_mailbox_limit = 0' 'mailbox_size_limit = 0' \
  'smtpd_recipient_restrictions = permit_mynetworks, reject' 'mynetworks = 127.0.0.0/8'
postfix check
if postfix status >/dev/null 2>&1; then postfix reload; else postfix start; fi

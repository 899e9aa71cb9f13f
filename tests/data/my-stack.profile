# A stack's own parameters: a profile, and set lines.
profile linux
set rto 300ms
set rfc1337 on

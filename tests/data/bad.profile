profile rfc9293
set rto soon

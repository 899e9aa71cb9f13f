# The longest MSL a setting accepts (a day): TIME_WAIT at a thousand times
# it still fits the sweep's 64-bit sums for a hundred samples, not for
# 200,000.
profile rfc9293
set msl 86400s

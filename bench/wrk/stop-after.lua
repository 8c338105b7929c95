-- wrk -s bench/wrk/stop-after.lua URL -- N: stops after N responses (wrk itself only stops after a duration), so that
-- a worker's memory can be read after a known number of requests. With -t1 one thread sees every response; the
-- requests in flight when it stops are answered too, and wrk's summary gives the exact count.
local limit, seen

function init(args)
    limit, seen = tonumber(args[1]), 0
end

function response()
    seen = seen + 1
    if seen >= limit then
        wrk.thread:stop()
    end
end

-- wrk script for bench/run_pg.sh: a mix of reads (GET an incident) and writes (POST a
-- timeline entry) over incidents 1..FK_N; FK_WRITE_PCT percent are writes.
local write_pct = tonumber(os.getenv("FK_WRITE_PCT") or "10")
local n = tonumber(os.getenv("FK_N") or "1000")
local auth = "Bearer " .. (os.getenv("FK_TOKEN") or "")
local count = 0

request = function()
  count = count + 1
  local id = math.random(n)
  if math.random(100) <= write_pct then
    return wrk.format("POST", "/api/v1/incidents/" .. id .. "/timeline",
      { ["Authorization"] = auth, ["Content-Type"] = "application/json" },
      '{"text": "bench write ' .. count .. '"}')
  end
  return wrk.format("GET", "/api/v1/incidents/" .. id, { ["Authorization"] = auth })
end

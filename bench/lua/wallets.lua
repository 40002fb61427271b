-- Cycles over the seeded wallets, sending each request with that wallet's access token.
-- PATH_TEMPLATE has one %s for the wallet, e.g. /api/users/%s; TOKENS names the file of
-- "wallet token" lines written by the seed.
local entries = {}
for line in io.lines(os.getenv("TOKENS")) do
  local wallet, token = line:match("^(%S+) (%S+)$")
  if wallet then entries[#entries + 1] = { wallet, "Bearer " .. token } end
end
local template = os.getenv("PATH_TEMPLATE")
local i = 0

function setup(thread)
  -- Threads start at different offsets so they do not walk the list in lockstep.
  thread:set("offset", math.random(#entries))
end

function init(args)
  i = offset or 0
end

function request()
  i = i % #entries + 1
  local e = entries[i]
  return wrk.format("GET", string.format(template, e[1]), { ["Authorization"] = e[2] })
end

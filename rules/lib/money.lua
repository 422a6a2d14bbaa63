-- Amounts of money as committee papers print them.
-- Load with: local money = require "vitals.money"
local money = {}

-- Drops a trailing ".0" from one-decimal text: "3.0" -> "3".
local function trim(text)
  return (text:gsub("%.0$", ""))
end

-- Pounds as short text: "£1.2m", "£267k", "£950"; negative amounts keep
-- their sign ("-£0.5m"). Millions keep one decimal, thousands none.
function money.format(pounds)
  local sign = pounds < 0 and "-" or ""
  local amount = math.abs(pounds)
  -- Compare rounded amounts, so that 999,600 reads "£1m", not "£1000k".
  if amount >= 999500 then
    return sign .. "£" .. trim(string.format("%.1f", amount / 1e6)) .. "m"
  end
  if amount >= 999.5 then
    return sign .. "£" .. string.format("%d", math.floor(amount / 1000 + 0.5)) .. "k"
  end
  return sign .. "£" .. string.format("%d", math.floor(amount + 0.5))
end

return money

-- A new exception criterion: the indicator has been worse than the England
-- average for two quarters running. For a "bigger is better" indicator that
-- means below the England average; for "smaller is better", above it.
--
-- Monthly results are averaged over each calendar quarter; a quarter counts
-- only when all three of its months have a result.

-- "2017-Q1" for the month "2017-03" (and for the quarter "2017-Q1").
local function quarter_of(period)
  local year, month = period:match("^(%d%d%d%d)%-(%d%d)$")
  if year == nil then return period end
  return year .. "-Q" .. (tonumber(month) + 2) // 3
end

return {
  id = "below_england",
  version = "1.0",
  description = "Worse than the England average for two consecutive quarters.",
  criterion = "below_england_average",

  -- What the catalogue may set for this rule. Here: one number, set for
  -- each indicator as [indicator.rules.below_england] england = 5.8
  params = {
    england = {
      type = "number",
      description = "The England average to compare with, e.g. 5.8.",
    },
  },

  applies_to = function(indicator)
    return indicator.frequency == "monthly" or indicator.frequency == "quarterly"
  end,

  evaluate = function(ctx)
    local england = ctx.params.england
    if england == nil then
      return { status = "ok", message = "no England average to compare with" }
    end

    -- Add up the results of each quarter.
    local months_needed = ctx.indicator.frequency == "monthly" and 3 or 1
    local total, count, quarters = {}, {}, {}
    for _, point in ipairs(ctx.series) do
      if point.value ~= nil then
        local q = quarter_of(point.period)
        if total[q] == nil then
          total[q], count[q] = 0, 0
          table.insert(quarters, q)
        end
        total[q] = total[q] + point.value
        count[q] = count[q] + 1
      end
    end

    -- The last two complete quarters, which must follow each other.
    local last, before
    for _, q in ipairs(quarters) do
      if count[q] == months_needed then
        before, last = last, q
      end
    end
    if last == nil or before == nil or vitals.periods_between(before, last) ~= 1 then
      return { status = "insufficient_data", message = "needs two complete quarters in a row" }
    end

    local average_before = total[before] / count[before]
    local average_last = total[last] / count[last]
    local polarity = ctx.indicator.polarity
    local side = polarity == "bigger" and "below" or "above"
    local figures = vitals.period_label(before) .. " " .. vitals.format(average_before) .. ", "
      .. vitals.period_label(last) .. " " .. vitals.format(average_last)
    local evidence = { england = england, previous_quarter = average_before, latest_quarter = average_last }

    if vitals.is_worse(average_before, england, polarity)
        and vitals.is_worse(average_last, england, polarity) then
      return {
        status = "exception",
        message = side .. " the England average of " .. vitals.format(england)
          .. " for two quarters running: " .. figures,
        evidence = evidence,
      }
    end
    return {
      status = "ok",
      message = "not " .. side .. " the England average of " .. vitals.format(england)
        .. " in both of the last two quarters: " .. figures,
      evidence = evidence,
    }
  end,
}

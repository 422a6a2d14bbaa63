-- Whether an indicator's own performance is adverse: off target (rated Red or
-- Amber) or worse in each of the latest periods. Shared by the rules that link
-- performance to the budget and to corporate risks, so that both read
-- "adverse" the same way.
-- Load with: local performance = require "vitals.performance"
local series = require "vitals.series"

local performance = {}

-- How many period-on-period changes in a row, ending with the last of
-- `points` (consecutive points with values, oldest first), are worse for
-- `polarity`. An unchanged value is not worse, so it ends the run.
function performance.adverse_changes(points, polarity)
  local adverse = 0
  for i = #points, 2, -1 do
    if not vitals.is_worse(points[i].value, points[i - 1].value, polarity) then break end
    adverse = adverse + 1
  end
  return adverse
end

local RAG_LABEL = { red = "Red", amber = "Amber", green = "Green" }

-- Why the performance of ctx's indicator cannot be judged at the reporting
-- period (no data, or data later than the allowed lag), or nil when it can.
function performance.unjudgeable(ctx)
  if ctx.latest == nil then
    return "no data up to " .. ctx.period_label
  end
  if ctx.data_state ~= "current" then
    return "latest figure is for " .. ctx.latest.label .. ", later than the allowed lag"
  end
  return nil
end

-- Whether ctx's indicator got worse in each of the latest `run` changes up
-- to its latest result: true and "worse for 3 consecutive months: 3.2 → 3.4 →
-- 3.5 → 3.56", false and "not worse for 3 consecutive months (1 in a row:
-- ...)", or nil and the period whose result is missing.
-- REQUIRES: performance.unjudgeable(ctx) is nil.
function performance.deteriorating(ctx, run)
  local word = vitals.period_word(ctx.indicator.frequency, run)
  local points, gap = series.consecutive(ctx.series, ctx.latest, run + 1)
  if points == nil then
    return nil, "no result for " .. vitals.period_label(gap) .. " to judge a trend over "
      .. run .. " " .. word
  end
  local adverse = performance.adverse_changes(points, ctx.indicator.polarity)
  if adverse >= run then
    return true, "worse for " .. run .. " consecutive " .. word .. ": "
      .. series.trail(points, ctx.indicator)
  end
  return false, "not worse for " .. run .. " consecutive " .. word .. " (" .. adverse
    .. " in a row: " .. series.trail(points, ctx.indicator) .. ")"
end

-- Whether the performance of ctx's indicator is adverse at the reporting
-- period. Returns true and a phrase ("off target (Red: 3.56 against a target
-- of 1.5)", "worse for 3 consecutive months: 3.2 → 3.4 → 3.5 → 3.56"), false
-- and a phrase saying why not, or nil and a phrase when the data cannot tell
-- (no data, or data later than the allowed lag). `run` is the number of
-- adverse changes in a row that count as deteriorating (default 3).
function performance.adverse(ctx, run)
  run = run or 3
  local latest = ctx.latest
  local why_not = performance.unjudgeable(ctx)
  if why_not ~= nil then return nil, why_not end
  if latest.rag == "red" or latest.rag == "amber" then
    return true, "off target (" .. RAG_LABEL[latest.rag] .. ": " .. vitals.figure(latest.value, ctx.indicator)
      .. " against a target of " .. vitals.figure(latest.target, ctx.indicator) .. ")"
  end
  local worse, trend = performance.deteriorating(ctx, run)
  if worse then return true, trend end
  if latest.rag == "green" then
    return false, "on target (" .. vitals.figure(latest.value, ctx.indicator)
      .. " against a target of " .. vitals.figure(latest.target, ctx.indicator) .. ")"
  end
  return false, "no target missed and no deterioration over " .. run .. " "
    .. vitals.period_word(ctx.indicator.frequency, run)
end

-- The result of a criterion that needs adverse performance as well as a
-- pressure elsewhere: `pressure` says what the budget or risk register shows
-- ("linked budget line X forecasts £1.2m overspend (2.3%)"). An exception only
-- when the indicator's own performance is adverse (see performance.adverse);
-- `evidence` gains the performance phrase.
function performance.verdict(ctx, run, pressure, evidence)
  local adverse, how = performance.adverse(ctx, run)
  if adverse == nil then
    return {
      status = "insufficient_data",
      message = pressure .. ", but performance cannot be judged: " .. how,
      evidence = evidence,
    }
  end
  evidence.performance = how
  if not adverse then
    return {
      status = "ok",
      message = pressure .. ", but performance is not adverse: " .. how,
      evidence = evidence,
    }
  end
  return {
    status = "exception",
    message = pressure .. ", and performance is " .. how,
    evidence = evidence,
  }
end

return performance

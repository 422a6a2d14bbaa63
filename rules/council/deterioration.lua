-- Criterion 2 of the exception-reporting process: performance has got worse
-- for three consecutive months, quarters or years.
--
-- The rule needs run + 1 values for consecutive periods ending with the latest
-- one. An unchanged value is not a deterioration, so it breaks the run.
--
-- A trend is judged on current data only: when the latest figure is older than
-- the indicator's allowed lag, the run may since have turned, so the rule says
-- the data are late instead of reporting a deterioration that may be over.

local performance = require "vitals.performance"
local series = require "vitals.series"

return {
  id = "deterioration",
  version = "1.0",
  description = "Performance has got worse in each of the latest consecutive periods "
    .. "(three unless the catalogue sets run).",
  criterion = "deterioration",
  -- How reports name the criterion in the summary and on cards.
  label = "deteriorating",

  -- Set in the catalogue, e.g. [rules.deterioration] run = 4.
  params = {
    run = {
      type = "integer", default = 3, min = 1,
      description = "How many period-on-period changes in a row must all be worse.",
    },
  },

  evaluate = function(ctx)
    local run = ctx.params.run
    local frequency = ctx.indicator.frequency
    local latest = ctx.latest
    if latest == nil then
      return { status = "insufficient_data", message = "no data up to " .. ctx.period_label }
    end

    if ctx.data_state ~= "current" then
      return {
        status = "insufficient_data",
        message = "latest figure is for " .. latest.label .. ", later than the allowed lag; "
          .. "trends are judged on current data only",
        evidence = { latest_period = latest.period },
      }
    end

    local points, missing = series.consecutive(ctx.series, latest, run + 1)
    if points == nil then
      local first = vitals.next_period(latest.period, -run)
      local needed = vitals.period_label(first) .. " to " .. latest.label
      return {
        status = "insufficient_data",
        message = "no value for " .. vitals.period_label(missing) .. " (needs " .. needed .. ")",
        evidence = { missing_period = missing, run = run },
      }
    end

    local first = points[1].period
    local adverse = performance.adverse_changes(points, ctx.indicator.polarity)

    local span = run .. " consecutive " .. vitals.period_word(frequency, run)
    local trail = series.trail(points, ctx.indicator)
    local evidence = {
      run = run,
      adverse_changes = adverse,
      from_period = first,
      to_period = latest.period,
      values = trail,
    }
    if adverse == run then
      return {
        status = "exception",
        message = "worse for " .. span .. ": " .. trail,
        evidence = evidence,
      }
    end
    return {
      status = "ok",
      message = "not worse for " .. span .. ": " .. trail,
      evidence = evidence,
    }
  end,
}

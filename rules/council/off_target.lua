-- Criterion 1 of the exception-reporting process: performance is off target,
-- meaning a Red rating or an adverse variance of 5% or more.

-- Variances are computed in binary floating point: 105 against 100 gives
-- 5.000000000000001, so a threshold counts as met within this margin.
local EPSILON = 1e-9

return {
  id = "off_target",
  version = "1.0",
  description = "Performance is off target: rated Red, or worse than target by the "
    .. "variance threshold (5% unless the catalogue sets variance_pct) or more.",
  criterion = "off_target",
  -- How reports name the criterion in the summary and on cards.
  label = "off target",

  -- Set in the catalogue, e.g. [rules.off_target] variance_pct = 3.
  params = {
    variance_pct = {
      type = "number", default = 5, min = 0,
      description = "The adverse variance, in percent of the target, at or above which "
        .. "the indicator is an exception.",
    },
  },

  evaluate = function(ctx)
    local threshold = ctx.params.variance_pct
    local latest = ctx.latest
    if latest == nil then
      return {
        status = "insufficient_data",
        message = "no data up to " .. ctx.period_label,
      }
    end
    if latest.value == nil then
      return {
        status = "insufficient_data",
        message = "no value for " .. latest.label,
        evidence = { period = latest.period },
      }
    end
    if latest.target == nil then
      return {
        status = "ok",
        message = "no target set",
        evidence = { period = latest.period, value = latest.value },
      }
    end

    local variance = latest.variance_pct  -- positive when worse than target
    local evidence = {
      period = latest.period,
      value = latest.value,
      target = latest.target,
      variance_pct = variance,
      threshold_pct = threshold,
      rag = latest.rag,
    }
    -- Figures as the reports show them: the indicator's decimals and unit ("2.0%").
    local against = vitals.figure(latest.value, ctx.indicator) .. " against a target of "
      .. vitals.figure(latest.target, ctx.indicator)
    local over = variance ~= nil and variance >= threshold - EPSILON

    if over or latest.rag == "red" then
      local message
      if variance == nil then
        -- A zero target: a percentage of it means nothing.
        message = against .. ": worse than target"
      else
        -- A Red rating below the rule's threshold comes from the indicator's own tolerance.
        local tolerance = over and threshold or ctx.indicator.tolerance.red_variance_pct
        message = against .. ": " .. vitals.format_pct(variance) .. "% worse than target, tolerance "
          .. vitals.format(tolerance) .. "%"
      end
      return { status = "exception", message = message, evidence = evidence }
    end

    if variance ~= nil and variance > EPSILON then
      return {
        status = "ok",
        message = against .. ": " .. vitals.format_pct(variance) .. "% worse than target, within tolerance "
          .. vitals.format(threshold) .. "%",
        evidence = evidence,
      }
    end
    return { status = "ok", message = against .. ": on target", evidence = evidence }
  end,
}

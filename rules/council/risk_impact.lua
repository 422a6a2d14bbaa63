-- Criterion 4 of the exception-reporting process: performance is adversely
-- affecting one of the council's corporate risks.
--
-- An indicator is an exception when a risk it is linked to scores at or above
-- the threshold (likelihood x impact, 1-25) with prospects of meeting its
-- target Red or Amber, or its score rose since the previous register, AND the
-- indicator's own performance is adverse: rated Red or Amber, or worse in each
-- of the latest `run` periods.

local performance = require "vitals.performance"

local BAND_LABEL = { high = "High", medium = "Medium", low = "Low" }
local PROSPECTS_LABEL = { red = "red", amber = "amber", green = "green", none = "not given" }

local function settings_of(params)
  return { score = params.score, on_rise = params.on_rise, run = params.run }
end

-- "linked risk RM14079 Failure to meet ... scores 20 (High, 4 x 5), prospects amber"
local function risk_text(risk)
  return "linked risk " .. risk.id .. " " .. risk.title .. " scores " .. risk.score .. " ("
    .. BAND_LABEL[risk.band] .. ", " .. risk.likelihood .. " x " .. risk.impact
    .. "), prospects " .. PROSPECTS_LABEL[risk.prospects]
end

return {
  id = "risk_impact",
  version = "1.0",
  description = "Performance is adverse and a linked corporate risk scores at or above the "
    .. "threshold (12 unless the catalogue sets score) with prospects Red or Amber, or its "
    .. "score rose since the previous register.",
  criterion = "risk_impact",

  -- Set in the catalogue, e.g. [rules.risk_impact] score = 12.
  params = {
    score = {
      type = "integer", default = 12, min = 1, max = 25,
      description = "The current risk score (likelihood x impact) at or above which a linked "
        .. "risk counts: 12 is the council's threshold for reporting risks by exception.",
    },
    on_rise = {
      type = "boolean", default = true,
      description = "Whether a linked risk whose score rose since the previous register counts, "
        .. "whatever its level.",
    },
    run = {
      type = "integer", default = 3, min = 1,
      description = "Adverse changes in a row that count as deteriorating.",
    },
  },

  applies_to = function(indicator)
    return #indicator.risks > 0
  end,

  evaluate = function(ctx)
    local s = settings_of(ctx.params)
    local scored = {}
    for _, risk in ipairs(ctx.risks) do
      if risk.score ~= nil then table.insert(scored, risk) end
    end
    if #scored == 0 then
      return {
        status = "insufficient_data",
        message = "no risk register entry scores the linked risks ("
          .. table.concat(ctx.indicator.risks, ", ") .. ")",
      }
    end

    local pressures = {}
    local ids = {}
    local highest = 0
    for _, risk in ipairs(scored) do
      if risk.score > highest then highest = risk.score end
      local serious = risk.score >= s.score
        and (risk.prospects == "red" or risk.prospects == "amber")
      local rose = s.on_rise and risk.previous_score ~= nil and risk.score > risk.previous_score
      if serious or rose then
        local text = risk_text(risk)
        if rose then
          text = text .. ", up from " .. risk.previous_score .. " in the previous register"
        end
        table.insert(pressures, text)
        table.insert(ids, risk.id)
      end
    end

    local evidence = {
      period = scored[1].period,
      threshold_score = s.score,
      highest_score = highest,
    }
    if #ids > 0 then evidence.risks = table.concat(ids, ", ") end

    if #pressures == 0 then
      return {
        status = "ok",
        message = "no linked risk scores " .. s.score .. " or more with prospects red or amber,"
          .. " and none rose (highest " .. highest .. ")",
        evidence = evidence,
      }
    end

    return performance.verdict(ctx, s.run, table.concat(pressures, "; "), evidence)
  end,
}

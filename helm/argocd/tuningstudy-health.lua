-- Argo CD health of a kubetune.io/TuningStudy, from the kstatus-style conditions the operator
-- writes (operator/controller/status.ts):
--   not yet seen by the operator (no status, or conditions of an older generation) -> Progressing
--   Stalled=True (Failed, or an invalid spec)                                      -> Degraded
--   phase Suspended                                                                -> Suspended
--   Ready=True (Completed)                                                         -> Healthy
--   otherwise (Pending, Running)                                                   -> Progressing
local hs = { status = "Progressing", message = "Waiting for the operator to pick up the study" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local function condition(kind)
  for _, c in ipairs(obj.status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end
local ready = condition("Ready")
local stalled = condition("Stalled")
local generation = obj.metadata.generation
if ready == nil or (generation ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration < generation) then
  return hs
end
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.message or stalled.reason or "Stalled"
  return hs
end
if obj.status.phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = ready.message or "Suspended"
  return hs
end
if ready.status == "True" then
  hs.status = "Healthy"
else
  hs.status = "Progressing"
end
hs.message = ready.message or ready.reason or ""
return hs

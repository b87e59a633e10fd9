import { DenyListCard } from './settings/DenyListCard';
import { ControlsSettingsCard } from './settings/ControlsSettingsCard';
import { WithdrawalPolicySettings } from './settings/Policies';
import { ProposalsCard } from './policy/ProposalsCard';

/** The policy on one screen: changes waiting for a second admin, limits per asset, the controls and the deny list. */
export function Policy() {
  return (
    <div className="stack">
      <ProposalsCard />
      <WithdrawalPolicySettings />
      <ControlsSettingsCard />
      <DenyListCard />
    </div>
  );
}

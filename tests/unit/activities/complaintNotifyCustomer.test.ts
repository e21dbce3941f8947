import { createComplaintNotifyCustomer, CUSTOMER_NOT_REACHABLE } from '../../../activities/integrations/complaint-notify-customer';
import type { ComplaintsPort, CustomerNotice } from '../../../activities/integrations/complaintsPort';
import { failureOf, jobHarness } from './support/jobs';

/** The port's one method this integration uses, answering with a fixed notice. */
function port(notice: CustomerNotice | null): ComplaintsPort {
  const unused = () => Promise.reject(new Error('not used here'));
  return {
    customerNotice: () => Promise.resolve(notice), classificationFacts: unused, classify: unused, record: unused,
    openCommitments: unused, fulfilCommitment: unused, offerEngineers: unused, closeOffer: unused, recordRecommendations: unused,
  };
}

const notice: CustomerNotice = { complaintNumber: 'cmp-1', email: 'anna@example.com', link: 'https://x.example/#/complaints/cmp-1?token=t' };
const job = { taskType: 'complaint.notify-customer', variables: { complaintId: 'cmp-1', channel: 'email' } };

describe('complaint.notify-customer when the notice cannot be sent', () => {
  it('throws the catchable BPMN error CUSTOMER_NOT_REACHABLE when SMTP_URL is not set (not an incident)', async () => {
    // given a worker without any SMTP configuration
    const { run, logText } = jobHarness({ complaints: port(notice) }, { integrations: [createComplaintNotifyCustomer({})] });
    // when
    const failure = await failureOf(run(job));
    // then the diagram can catch it, and the address is not in the failure or the logs
    expect(failure.type).toBe('BpmnError');
    expect(JSON.stringify(failure.details)).toContain(CUSTOMER_NOT_REACHABLE);
    expect(JSON.stringify(failure.details)).toContain('NotConfigured');
    expect(`${failure.message}${JSON.stringify(failure.details)}${logText()}`).not.toContain('anna@example.com');
  });

  it('throws CUSTOMER_NOT_REACHABLE when the customer left no address', async () => {
    const { run } = jobHarness({ complaints: port({ ...notice, email: null }) }, { integrations: [createComplaintNotifyCustomer({ SMTP_URL: 'smtp://127.0.0.1:1' })] });
    const failure = await failureOf(run(job));
    expect(failure.type).toBe('BpmnError');
    expect(JSON.stringify(failure.details)).toContain('no_address');
  });
});

import { envCredentials } from '../../../activities/catalog/credentials';

describe('envCredentials', () => {
  it('collects CREDENTIAL_<NAME>_<FIELD> variables under the normalised name', () => {
    // given
    const store = envCredentials({
      CREDENTIAL_CRM_API_AUTHORIZATION: 'Bearer abc',
      CREDENTIAL_CRM_API_TENANT: 't1',
      CREDENTIAL_OTHER_AUTHORIZATION: 'Basic x',
    });

    // when
    const crm = store.get('crm-api');

    // then
    expect(crm).toEqual({ authorization: 'Bearer abc', tenant: 't1' });
    expect(store.get('CRM.api')).toEqual(crm);
  });

  it('knows nothing of a name without variables, or with empty ones', () => {
    // given
    const store = envCredentials({ CREDENTIAL_EMPTY_AUTHORIZATION: '', CREDENTIAL_: 'x' });

    // then
    expect(store.get('empty')).toBeUndefined();
    expect(store.get('missing')).toBeUndefined();
  });
});

/** The ZEGO account the tests' simulator and service share (no app module loaded: unit specs use it too). */
export const TEST_APP_ID = '1234567890';
export const TEST_SERVER_SECRET = 'e2e-server-secret-7f3a9c1d2b4e6f80';

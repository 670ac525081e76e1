// Demo accounts and partner credentials of the embedded stack; never used outside it.
export interface DemoAccount {
  username: string;
  sub: string;
  name: string;
  groups: ('citizen' | 'officer' | 'supervisor' | 'admin')[];
  cccd?: string;
  branch?: string;
  agency?: string;
}

export const demoAccounts: DemoAccount[] = [
  {
    username: 'citizen.an',
    sub: 'c0a80001-0000-4000-8000-000000000001',
    name: 'Nguyễn Văn An',
    groups: ['citizen'],
    cccd: '001090012345',
  },
  {
    username: 'citizen.binh',
    sub: 'c0a80001-0000-4000-8000-000000000002',
    name: 'Trần Thị Bình',
    groups: ['citizen'],
    cccd: '001185054321',
  },
  {
    username: 'officer.badinh',
    sub: 'c0a80001-0000-4000-8000-000000000011',
    name: 'Lê Minh Châu',
    groups: ['officer'],
    branch: '000.02.01.H26',
  },
  {
    username: 'officer.hoankiem',
    sub: 'c0a80001-0000-4000-8000-000000000012',
    name: 'Phạm Quốc Dũng',
    groups: ['officer'],
    branch: '000.01.01.H26',
  },
  {
    username: 'supervisor',
    sub: 'c0a80001-0000-4000-8000-000000000021',
    name: 'Hoàng Thu Hà',
    groups: ['supervisor'],
    branch: '000.02.01.H26',
  },
  {
    username: 'admin',
    sub: 'c0a80001-0000-4000-8000-000000000031',
    name: 'Đỗ Thanh Hải',
    groups: ['admin'],
  },
];

export interface DemoPartner {
  agency: string;
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  principalArn: string;
}

const partner = (agency: string, name: string, slug: string): DemoPartner => ({
  agency,
  name,
  accessKeyId: `AKIALOCAL${slug.toUpperCase().padEnd(11, '0')}`,
  secretAccessKey: `local-secret-${slug}-do-not-use-in-the-cloud`,
  principalArn: `arn:aws:iam::000000000000:user/partner-${slug}`,
});

export const demoPartners: DemoPartner[] = [
  partner('000.00.33.H26', 'Ủy ban nhân dân phường Ba Đình', 'badinhward'),
  partner('000.33.08.H26', 'Công an phường Ba Đình', 'badinhpolice'),
  partner('000.00.09.H26', 'Bảo hiểm xã hội thành phố Hà Nội', 'socialins'),
  // A ward the Ba Đình ward step may be forwarded to (the applicant's residence): the forward demo and tests.
  partner('000.00.31.H26', 'Ủy ban nhân dân phường Hoàn Kiếm', 'hoankiemward'),
];

/** A demo birth registration (1.001193) at branch Ba Đình, filed by citizen.an: demos, benches and tests share it. */
export const demoBirth = {
  procedureCode: '1.001193',
  unit: '000.02.01.H26',
  answers: {
    childFullName: 'Nguyễn Minh Khang',
    childDateOfBirth: '2026-11-20',
    childSex: 'Nam',
    placeOfBirth: 'Bệnh viện Phụ sản Hà Nội',
    motherFullName: 'Trần Thị Lan',
    relationship: 'Cha',
  },
  applicant: { fullName: 'Nguyễn Văn An', citizenId: '001090012345', phone: '0912345678' },
} as const;

/**
 * A demo under-6 bundle (2.002621: birth, then residence and health insurance at once) filed at the Ba Đình counter
 * for citizen.binh: the routing tests, the routing bench and `npm run demo:bundle` share it.
 */
export const demoBundle = {
  procedureCode: '2.002621',
  /** The documents a complete counter filing digitizes (the others are conditional). */
  documents: ['to-khai-dien-tu', 'giay-chung-sinh'],
  applicant: { fullName: 'Trần Thị Bình', citizenId: '001185054321' },
  answers: {
    childFullName: 'Nguyễn Minh Khang',
    childDateOfBirth: '2026-11-20',
    childSex: 'Nam',
    placeOfBirth: 'Bệnh viện Phụ sản Hà Nội',
    relationship: 'Mẹ',
  },
} as const;

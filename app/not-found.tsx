import Link from 'next/link';
import { NotFoundMessage } from './components/NotFoundMessage';
import { serverTranslator } from './i18n/server';

export default async function NotFound() {
  return <NotFoundMessage t={await serverTranslator()} link={Link} />;
}

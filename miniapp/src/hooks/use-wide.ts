import { useEffect, useState } from 'react';
import { DESK_MIN_WIDTH } from '../services/desk';

const IS_H5 = process.env.TARO_ENV === 'h5';
const wideNow = () => IS_H5 && typeof window !== 'undefined' && window.innerWidth >= DESK_MIN_WIDTH;

/**
 * True when the H5 build runs on a desk-wide screen (the office's desk web app): the ticket lists draw tables
 * there instead of the phone's cards. Always false in the mini-program.
 */
export function useWide(): boolean {
  const [wide, setWide] = useState(wideNow);
  useEffect(() => {
    if (!IS_H5) return undefined;
    const on = () => setWide(wideNow());
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return wide;
}

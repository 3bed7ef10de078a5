import type { PageDef } from '../../pages.ts';
import { ProductDetail } from './ProductDetail.tsx';
import { ProductList } from './ProductList.tsx';

export const pages: PageDef[] = [
  { path: '/products', navKey: 'products:nav.products', permission: 'products:read', element: ProductList, order: 150 },
  { path: '/products/:productId', permission: 'products:read', element: ProductDetail },
];
